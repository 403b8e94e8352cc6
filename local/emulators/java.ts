import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { JavaUnavailableError } from '../errors';

/** DynamoDB Local 3.x is built for Java 17. */
export const MIN_JAVA_MAJOR = 17;

const INSTALL_HINT =
  `DynamoDB Local needs Java ${MIN_JAVA_MAJOR} or newer on the PATH. ` +
  'Install it, e.g. `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), ' +
  '`brew install openjdk@17` (macOS) or any JDK 17+ from https://adoptium.net, then check with `java -version`.';

/** Fails with {@link JavaUnavailableError} unless `java` runs and is at least {@link MIN_JAVA_MAJOR}. */
export async function assertJavaAvailable(command = 'java'): Promise<void> {
  let output: string;
  try {
    // `java -version` writes to stderr.
    const { stdout, stderr } = await promisify(execFile)(command, ['-version'], { timeout: 15_000 });
    output = `${stderr}${stdout}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? `\`${command}\` was not found` : `\`${command} -version\` failed`;
    throw new JavaUnavailableError(`${reason}. ${INSTALL_HINT}`, { cause: error });
  }
  const major = parseJavaMajor(output);
  if (major === undefined) {
    throw new JavaUnavailableError(`Could not read the Java version from: ${output.trim()}. ${INSTALL_HINT}`);
  }
  if (major < MIN_JAVA_MAJOR) {
    throw new JavaUnavailableError(`Found Java ${major}, which is too old. ${INSTALL_HINT}`);
  }
}

/** Major version from `java -version` output: `"17.0.15"` → 17, legacy `"1.8.0_392"` → 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}
