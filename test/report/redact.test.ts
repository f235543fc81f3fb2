import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../src/report/redact.js';

// Lines as they appear in real unit files, supervisor programs and Flask/SQLAlchemy logs.
describe('redact: what the support bundle masks before it reaches a channel', () => {
  const table: [string, string][] = [
    ['environment=MM_PORT="5070",MM_DB_URL="mysql+pymysql://moneymind:s3cr%40t@127.0.0.1:3306/moneymind"', 'environment=MM_PORT="5070",MM_DB_URL="mysql+pymysql://moneymind:***@127.0.0.1:3306/moneymind"'],
    ['Environment=DATABASE_URL=mysql://app:hunter2@db.internal/moneymind', 'Environment=DATABASE_URL=mysql://app:***@db.internal/moneymind'],
    ['Environment="SECRET_KEY=9f8e7d" "FLASK_ENV=production"', 'Environment="SECRET_KEY=***" "FLASK_ENV=production"'],
    ['environment=MYSQL_PASSWORD="p4ss word",MM_THREADS="4"', 'environment=MYSQL_PASSWORD=***,MM_THREADS="4"'],
    ["api_key: 'abc123'", 'api_key: ***'],
    ['SLACK_BOT_TOKEN=xoxb-1-2-3', 'SLACK_BOT_TOKEN=***'],
    ['password = hunter2', 'password = ***'],
    ['(Background on this error at: https://sqlalche.me/e/20/e3q8)', '(Background on this error at: https://sqlalche.me/e/20/e3q8)'],
    ['wait_timeout                         600', 'wait_timeout                         600'],
    ['2026-11-25 22:05:31,716 ERROR: Health check failed: (2003, "Can\'t connect to MySQL server on \'127.0.0.1\'")', '2026-11-25 22:05:31,716 ERROR: Health check failed: (2003, "Can\'t connect to MySQL server on \'127.0.0.1\'")'],
    ['GET http://user@host/ (no password part)', 'GET http://user@host/ (no password part)'],
  ];
  for (const [input, expected] of table) it(input.slice(0, 60), () => assert.equal(redact(input), expected));
});
