// Structured logs (winston, one JSON object per line) on stderr; stdout is kept for the lines a
// person reads (the URL, what to do next). Never log a secret: request logs carry method, path
// without the query, status and duration only. Every line still goes through the same redactor as
// the agent's log (src/common/log.ts), so a token inside an error message is not written as is.
import winston from 'winston';
import { redactFormat } from '../common/log.js';

export function createServerLogger(level = process.env.BOSUN_LOG_LEVEL ?? 'info'): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    defaultMeta: { component: 'bosun-server' },
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}
