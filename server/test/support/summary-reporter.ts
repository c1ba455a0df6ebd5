import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line "tests: N passed, N failed" that CI reads (vitest's own summary
 * has a different shape), and the files that failed outside any test.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    // A file whose set-up (beforeAll) failed leaves its tests "skipped": the file itself failed.
    const failedFiles = testModules.filter((module) => module.state() === 'failed').length;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}${failedFiles > 0 ? `; ${failedFiles} test file(s) failed` : ''}\n`);
  }
}
