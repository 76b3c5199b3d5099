import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateImportTemplateBody,
  ImportJob,
  ImportPreview,
  ImportTemplate,
  ImportType,
  UpdateImportBody,
} from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { downloadFile } from '../../../lib/download.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { useMe } from '../../../lib/session.ts';

/** How often a queued or running import is asked for its progress. */
const POLL_MS = 1_000;

/** An import may have finished while the page was closed: ask again whenever it opens. */
const ALWAYS_REFRESH = 0;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function isActive(job: Pick<ImportJob, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running';
}

/** An import is its uploader's: only they or an admin may change, start or resume it. */
export function useMayChangeImport(job: Pick<ImportJob, 'createdBy'>): boolean {
  const me = useMe();
  return job.createdBy === me.id || me.roles.includes('admin');
}

/** Failed, or running without progress for a while because its process is gone. */
export function canResume(job: Pick<ImportJob, 'status' | 'stalled'>): boolean {
  return job.status === 'failed' || (job.status === 'running' && job.stalled);
}

function importPath(id: string, action?: string): string {
  return `/imports/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

/** The body type the server expects, by the file's extension (browsers often leave CSV blank). */
function contentTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return 'text/csv';
  return 'application/octet-stream';
}

/** Recent imports, newest first; followed every second while any is queued or running. */
export function useImports() {
  return useQuery({
    queryKey: queryKeys.importList,
    queryFn: async () => (await api.get<{ items: ImportJob[] }>('/imports')).items,
    staleTime: ALWAYS_REFRESH,
    refetchInterval: (q) => (q.state.data?.some(isActive) ? POLL_MS : false),
  });
}

/** One import; polled every second while it is queued or running. */
export function useImport(id: string | undefined) {
  const queryClient = useQueryClient();
  const key = queryKeys.importJob(id ?? '');
  return useQuery({
    queryKey: key,
    queryFn: async () => {
      const before = queryClient.getQueryData<ImportJob>(key);
      const job = await api.get<ImportJob>(importPath(id ?? ''));
      // The history shows the same import: bring it in step the moment it finishes.
      if (before && isActive(before) && !isActive(job))
        void queryClient.invalidateQueries({ queryKey: queryKeys.importList });
      return job;
    },
    enabled: id !== undefined,
    staleTime: ALWAYS_REFRESH,
    refetchInterval: (q) => (q.state.data && isActive(q.state.data) ? POLL_MS : false),
  });
}

/** The first rows as they will be stored, with the mapping the import holds now. */
export function useImportPreview(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.importPreview(id),
    queryFn: () => api.get<ImportPreview>(importPath(id, 'preview')),
    enabled,
    staleTime: ALWAYS_REFRESH,
  });
}

function useStoreJob() {
  const queryClient = useQueryClient();
  return async (job: ImportJob) => {
    queryClient.setQueryData(queryKeys.importJob(job.id), job);
    await queryClient.invalidateQueries({ queryKey: queryKeys.importList });
  };
}

export function useUploadImport() {
  const store = useStoreJob();
  return useMutation({
    mutationFn: ({ type, file }: { type: ImportType; file: File }) =>
      api.upload<ImportJob>('/imports', { type, fileName: file.name }, file, contentTypeOf(file)),
    onSuccess: store,
  });
}

export function useUpdateImport(id: string) {
  const queryClient = useQueryClient();
  const store = useStoreJob();
  return useMutation({
    mutationFn: (body: UpdateImportBody) => api.patch<ImportJob>(importPath(id), body),
    onSuccess: async (job) => {
      queryClient.removeQueries({ queryKey: queryKeys.importPreview(id) });
      await store(job);
    },
  });
}

/** Starts an import that was set up, or resumes one that failed or was cut short. */
export function useRunImport() {
  const store = useStoreJob();
  return useMutation({
    mutationFn: ({ id, resume }: { id: string; resume: boolean }) =>
      api.post<ImportJob>(importPath(id, resume ? 'resume' : 'start')),
    onSuccess: store,
  });
}

export function downloadImportReport(job: Pick<ImportJob, 'id' | 'fileName'>): Promise<void> {
  const base = job.fileName.replace(/\.[^.]+$/, '');
  return downloadFile(importPath(job.id, 'report'), `${base}-report.csv`);
}

export function useImportTemplates() {
  return useQuery({
    queryKey: queryKeys.importTemplates,
    queryFn: async () => (await api.get<{ items: ImportTemplate[] }>('/import-templates')).items,
  });
}

export function useCreateImportTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateImportTemplateBody) =>
      api.post<ImportTemplate>('/import-templates', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.importTemplates }),
  });
}

export function useDeleteImportTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/import-templates/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.importTemplates }),
  });
}
