#!/usr/bin/env node
// The image's HEALTHCHECK (Dockerfile, docker-compose.yml): is the bot alive and serving /healthz?
// Healthy: 200, or a 503 whose only problems are Slack's ("slack: connecting", "Slack socket
// disconnected"): the bot retries Slack itself, and an orchestrator that restarts unhealthy
// containers would otherwise restart it in a loop while Slack is unreachable. Unhealthy: no
// answer, or any other problem (no watch cycle for 3 periods), which a clean restart may fix.
// Without SLACK_BOT_TOKEN there is no server (terminal mode, a one-shot CLI run): healthy.
const env = process.env;
const path = process.argv[2] ?? '/healthz';

function target() {
  if (env.SLACK_APP_TOKEN) {
    // Socket Mode: METRICS_HOST:METRICS_PORT; every interface (0.0.0.0, ::) includes loopback.
    const host = !env.METRICS_HOST || ['0.0.0.0', '::', '127.0.0.1'].includes(env.METRICS_HOST) ? '127.0.0.1' : env.METRICS_HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${env.METRICS_PORT || 9102}${path}`;
  }
  return `http://127.0.0.1:${env.PORT || 3000}${path}`; // HTTP mode: beside /slack/events on PORT
}

const slackOnly = (problem) => /^(slack: connecting|Slack socket disconnected)/.test(String(problem));

if (!env.SLACK_BOT_TOKEN) {
  process.stdout.write('no Slack tokens: terminal mode or the CLI, no /healthz to ask\n');
} else {
  const url = target();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
    const text = await res.text();
    let problems = [];
    try {
      problems = JSON.parse(text).problems ?? [];
    } catch {
      problems = [`not JSON: ${text.slice(0, 80)}`];
    }
    const ok = res.status === 200 || (res.status === 503 && problems.length > 0 && problems.every(slackOnly));
    process.stdout.write(`${ok ? 'healthy' : 'unhealthy'}: ${url} ${res.status} ${text.slice(0, 300)}\n`);
    process.exitCode = ok ? 0 : 1;
  } catch (err) {
    process.stdout.write(`unhealthy: ${url} did not answer: ${err?.cause?.code ?? err?.message ?? err}\n`);
    process.exitCode = 1;
  }
}
