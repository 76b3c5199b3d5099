import type { LightMyRequestResponse } from 'fastify';
import type { ImportJob, ImportType } from '@tide/contract';
import type { Client, TestApp } from './harness.ts';

/** Uploads a file as the import API receives it: the raw body, named in the query. */
export function uploadImportFile(
  t: TestApp,
  c: Client,
  name: string,
  data: Buffer,
  opts: { type?: ImportType; contentType?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports?type=${opts.type ?? 'leads'}&fileName=${encodeURIComponent(name)}`,
    headers: {
      authorization: `Bearer ${c.token}`,
      'content-type': opts.contentType ?? 'text/csv',
      ...opts.headers,
    },
    payload: data,
  });
}

/** Polls an import until it is done or failed, as the import page does. */
export async function importFinished(c: Client, id: string, tries = 600): Promise<ImportJob> {
  for (let i = 0; i < tries; i++) {
    const job = (await c.get(`/api/v1/imports/${id}`)).json<ImportJob>();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the import did not finish');
}
