/**
 * The local Bitrix24 portal (DESIGN.md §6): REST, OAuth server, events, robots and fault injection that behave like
 * the cloud product on the wire. See sandbox/README.md.
 */
export { startSandboxPortal } from './portal.js';
export type { SandboxPortal, SandboxPortalOptions, InstallResult, RegisterAppInput, SeededUsers, TokenPair } from './portal.js';
export type { PortalRuntime, CrmChange } from './core/runtime.js';
export type { AppLifecycle } from './apps/apps.js';
export { answerFrameCommand, type FrameSession, type FrameAnswer } from './ui/frame-protocol.js';
export type { AttachRobotInput } from './bizproc/engine.js';
export type { FaultController } from './faults/faults.js';
export type { SandboxStore } from './store/store.js';
export type * from './store/types.js';
