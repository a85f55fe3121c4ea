import { openFramedSession } from './framed';
import { openShellSession } from './shell';
import type { OpenDeviceSession } from './types';

/** Opens a session with the transport the settings name ("shell" or "framed"). */
export const openDeviceSession: OpenDeviceSession = (options) =>
  options.settings.kind === 'framed' ? openFramedSession(options) : openShellSession(options);
