import { openEsp32Session } from './esp32';
import { openFramedSession } from './framed';
import { openShellSession } from './shell';
import type { OpenDeviceSession } from './types';

/** Opens a session with the transport the settings name ("shell", "framed" or "esp32"). */
export const openDeviceSession: OpenDeviceSession = (options) =>
  options.settings.kind === 'esp32'
    ? openEsp32Session(options)
    : options.settings.kind === 'framed'
      ? openFramedSession(options)
      : openShellSession(options);
