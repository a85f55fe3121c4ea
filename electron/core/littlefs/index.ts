export { buildLittleFs, partitionImage, type BuiltImage, type ImageFile, type ImageOptions } from './writer';
export {
  bufferSource,
  mountLittleFs,
  type BlockSource,
  type FsEntry,
  type MountedFs,
  type Superblock,
} from './reader';
export { espGeometry, lfsCrc, type Geometry } from './format';
