import { AppConfig, ConfigError, parseConfig } from './config.schema';

/** The one place that reads process.env: a bad value ends the process with one line on stderr. */
export function loadConfigOrExit(): AppConfig {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
