import type { Benchmark } from '../lib/benchmark.js';
import { exchangeBenchmark } from './exchange.js';
import { financeBenchmark } from './finance.js';
import { keyFiguresBenchmark } from './key-figures.js';
import { pageLoadBenchmark } from './page-load.js';
import { searchBenchmark } from './search.js';
import { workQueueBenchmark } from './work-queue.js';

/** Every benchmark `npm run bench` knows, in the order it runs them. Add new ones here. */
export const BENCHMARKS: readonly Benchmark[] = [searchBenchmark, keyFiguresBenchmark, workQueueBenchmark, exchangeBenchmark, financeBenchmark, pageLoadBenchmark];
