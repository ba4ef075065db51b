// Shared by the cdktf target modules (AWS and Google): the register and the rotation schedule.
import './private/check-peers';
export * from './register';
export * from './rotation';
export * from './governance';
