// Types of generate-go-fixture.mjs for the TypeScript tests that import it.

/** The fixture project's root (services/fixture-project). */
export declare const FIXTURE_ROOT: string;
/** The directories the generator owns, relative to the fixture root. */
export declare const GENERATED_DIRS: readonly string[];
/** Every file the generator makes: path relative to the fixture root → content. */
export declare function goFixtureFiles(): Map<string, string>;
/** Brings the generated files under `root` (default: the fixture) up to date; how many it wrote and removed. */
export declare function writeGoFixture(root?: string): { written: number; removed: number };
/** vitest globalSetup: generates the Go fixture. */
export declare function setup(): void;
