/**
 * device.json5 for a unit. `renderDeviceJson5(profileVersion, unit)` is pure and deterministic;
 * `OrderBook.deviceJson5For(claimId, { created })` renders it from the exact profile version the
 * unit's order was made with (what the station run writes to the device).
 */
export { renderDeviceJson5, maskToken, type RenderProfileVersion, type RenderUnit } from './render';
