/* The reference littlefs (the littlefs project's own C library, NOT part of this repository) as a
 * test oracle, configured as ESP-IDF's esp_littlefs mounts the storage partition: block 4096,
 * read/prog 128, cache 512, lookahead 128, name max 64 (ioto-contracts.md §8). Built by
 * test/integration/littlefs/oracle.test.ts against a littlefs checkout named by LITTLEFS_SRC.
 *   harness dump IMAGE              mount, print V disk-version block-count name-max, then D dir / F path size hex
 *   harness append IMAGE PATH TEXT  mount, write PATH (parents made), unmount; the image file is rewritten
 *   harness mkfs IMAGE SIZE LIST    format SIZE bytes and write files: LIST lines "path<TAB>hex"
 */
#include "lfs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *img; static long img_size;
static int bd_read(const struct lfs_config *c, lfs_block_t b, lfs_off_t off, void *buf, lfs_size_t size) {
  memcpy(buf, img + (long)b * c->block_size + off, size); return 0; }
static int bd_prog(const struct lfs_config *c, lfs_block_t b, lfs_off_t off, const void *buf, lfs_size_t size) {
  unsigned char *p = img + (long)b * c->block_size + off; const unsigned char *q = buf;
  for (lfs_size_t i = 0; i < size; i++) p[i] &= q[i]; /* NOR: bits only clear */
  return 0; }
static int bd_erase(const struct lfs_config *c, lfs_block_t b) { memset(img + (long)b * c->block_size, 0xff, c->block_size); return 0; }
static int bd_sync(const struct lfs_config *c) { (void)c; return 0; }

static struct lfs_config cfg;
static void setup(long size) {
  memset(&cfg, 0, sizeof cfg);
  cfg.read = bd_read; cfg.prog = bd_prog; cfg.erase = bd_erase; cfg.sync = bd_sync;
  cfg.read_size = 128; cfg.prog_size = 128; cfg.block_size = 4096; cfg.block_count = size / 4096;
  cfg.cache_size = 512; cfg.lookahead_size = 128; cfg.block_cycles = 512; cfg.name_max = 64;
}
static void load(const char *path) {
  FILE *f = fopen(path, "rb"); if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END); img_size = ftell(f); fseek(f, 0, SEEK_SET);
  img = malloc(img_size); if (fread(img, 1, img_size, f) != (size_t)img_size) { perror("read"); exit(2); } fclose(f);
}
static void save(const char *path) { FILE *f = fopen(path, "wb"); fwrite(img, 1, img_size, f); fclose(f); }

static void dump_dir(lfs_t *lfs, const char *dir) {
  lfs_dir_t d; struct lfs_info info;
  int err = lfs_dir_open(lfs, &d, dir); if (err) { printf("E dir_open %s %d\n", dir, err); exit(3); }
  while ((err = lfs_dir_read(lfs, &d, &info)) > 0) {
    if (!strcmp(info.name, ".") || !strcmp(info.name, "..")) continue;
    char path[512]; snprintf(path, sizeof path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", info.name);
    if (info.type == LFS_TYPE_DIR) { printf("D %s\n", path); dump_dir(lfs, path); }
    else {
      lfs_file_t f; if ((err = lfs_file_open(lfs, &f, path, LFS_O_RDONLY))) { printf("E open %s %d\n", path, err); exit(3); }
      unsigned char *buf = malloc(info.size + 1); lfs_ssize_t n = lfs_file_read(lfs, &f, buf, info.size);
      if (n != (lfs_ssize_t)info.size) { printf("E read %s %ld\n", path, (long)n); exit(3); }
      printf("F %s %lu ", path, (unsigned long)info.size);
      for (lfs_size_t i = 0; i < info.size; i++) printf("%02x", buf[i]);
      printf("\n"); free(buf); lfs_file_close(lfs, &f);
    }
  }
  if (err < 0) { printf("E dir_read %s %d\n", dir, err); exit(3); }
  lfs_dir_close(lfs, &d);
}

static void mkparents(lfs_t *lfs, const char *path) {
  char tmp[512]; strncpy(tmp, path, sizeof tmp - 1); tmp[sizeof tmp - 1] = 0;
  for (char *p = tmp + 1; *p; p++) if (*p == '/') { *p = 0; int e = lfs_mkdir(lfs, tmp); if (e && e != LFS_ERR_EXIST) { printf("E mkdir %s %d\n", tmp, e); exit(3); } *p = '/'; }
}
static void put(lfs_t *lfs, const char *path, const unsigned char *data, long n) {
  mkparents(lfs, path); lfs_file_t f;
  int e = lfs_file_open(lfs, &f, path, LFS_O_WRONLY | LFS_O_CREAT | LFS_O_TRUNC); if (e) { printf("E create %s %d\n", path, e); exit(3); }
  if (lfs_file_write(lfs, &f, data, n) != n) { printf("E write %s\n", path); exit(3); }
  if ((e = lfs_file_close(lfs, &f))) { printf("E close %s %d\n", path, e); exit(3); }
}
static int unhex(const char *h, unsigned char *out) { int n = 0; while (h[0] && h[1] && h[0] != '\n') { unsigned v; sscanf(h, "%2x", &v); out[n++] = v; h += 2; } return n; }

int main(int argc, char **argv) {
  lfs_t lfs; int err;
  if (argc >= 3 && !strcmp(argv[1], "dump")) {
    load(argv[2]); setup(img_size);
    if ((err = lfs_mount(&lfs, &cfg))) { printf("E mount %d\n", err); return 3; }
    struct lfs_fsinfo fsinfo; if (!lfs_fs_stat(&lfs, &fsinfo)) printf("V %08x %lu %lu\n", (unsigned)fsinfo.disk_version, (unsigned long)fsinfo.block_count, (unsigned long)fsinfo.name_max);
    printf("U %ld\n", (long)lfs_fs_size(&lfs));
    dump_dir(&lfs, "/"); lfs_unmount(&lfs); return 0;
  }
  if (argc >= 5 && !strcmp(argv[1], "append")) {
    load(argv[2]); setup(img_size);
    if ((err = lfs_mount(&lfs, &cfg))) { printf("E mount %d\n", err); return 3; }
    put(&lfs, argv[3], (const unsigned char *)argv[4], strlen(argv[4]));
    if ((err = lfs_unmount(&lfs))) { printf("E unmount %d\n", err); return 3; }
    save(argv[2]); printf("OK\n"); return 0;
  }
  if (argc >= 5 && !strcmp(argv[1], "mkfs")) {
    img_size = atol(argv[3]); img = malloc(img_size); memset(img, 0xff, img_size); setup(img_size);
    if ((err = lfs_format(&lfs, &cfg))) { printf("E format %d\n", err); return 3; }
    if ((err = lfs_mount(&lfs, &cfg))) { printf("E mount %d\n", err); return 3; }
    FILE *l = fopen(argv[4], "r"); static char line[1 << 22]; static unsigned char data[1 << 21];
    while (fgets(line, sizeof line, l)) { char *tab = strchr(line, '\t'); if (!tab) continue; *tab = 0; int n = unhex(tab + 1, data); put(&lfs, line, data, n); }
    fclose(l); lfs_unmount(&lfs); save(argv[2]); printf("OK\n"); return 0;
  }
  fprintf(stderr, "usage\n"); return 2;
}
