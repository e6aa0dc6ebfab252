import { runEntry } from '@gantry/action-kit';
import { run } from './main';

void runEntry('smoke-monitor', () => run());
