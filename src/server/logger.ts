// Structured logs (winston, one JSON object per line) on stderr; stdout is kept for the lines a
// person reads (the URL, what to do next). Never log a secret: request logs carry method, path
// without the query, status and duration only.
import winston from 'winston';

export function createServerLogger(level = process.env.BOSUN_LOG_LEVEL ?? 'info'): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { component: 'bosun-server' },
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}
