import { runEntry } from '@gantry/action-kit';
import { run } from './main';

void runEntry('package-immutable-image', () => run());
