export { runAction } from './run-action';
export type { ActionRun, Annotation, Phase, PhaseResult, RunActionOptions } from './types';
export { ActionFileError, inputEnvName, loadAction, type ActionDefinition } from './action-file';
export { ExpressionError, evaluateCondition, evaluateTemplate } from './expression';
export { FileCommandError, parseKeyValueFile, parsePathFile } from './file-commands';
export { NodeBinaryError, resolveNodeBinary } from './node-binary';
export { CommandProcessor, CommandEffects, parseCommandLine, unescapeData, unescapeProperty } from './workflow-commands';
