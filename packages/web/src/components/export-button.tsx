import { useEffect, useRef, useState } from 'react';
import { App, Button, Dropdown, Flex, Modal, Progress, Spin, Typography } from 'antd';
import { DownOutlined, DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ExportFormat } from '@tide/contract';
import type { QueryParams } from '../lib/api-client.ts';
import {
  DownloadInterrupted,
  downloadExport,
  saveFile,
  type ExportProgress,
} from '../lib/download.ts';
import { currentLanguage } from '../lib/i18n.ts';
import { useNotify } from './use-notify.ts';

interface ExportButtonProps {
  /** The export route of the list, e.g. `/leads/export`. */
  path: string;
  /** The list's current filters and sort, without paging. */
  query: QueryParams;
  testId: string;
  size?: 'small' | 'middle';
}

/** Small exports finish at once; the progress dialog only shows for longer ones. */
const SHOW_PROGRESS_AFTER_MS = 400;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function ProgressView({ format, progress }: { format: ExportFormat; progress: ExportProgress }) {
  const { t } = useTranslation();
  const { rows, total, totalIsEstimate, bytes } = progress;
  const size = formatBytes(bytes);
  if (rows !== null && total !== null && total > 0) {
    const percent = Math.min(99, Math.floor((rows / total) * 100));
    return (
      <Flex vertical gap={8}>
        <Progress percent={percent} status="active" />
        <Typography.Text type="secondary" data-testid="export-progress-text">
          {totalIsEstimate
            ? t('exports.rowsOfAbout', { rows, total, size })
            : t('exports.rowsOf', { rows, total, size })}
        </Typography.Text>
      </Flex>
    );
  }
  return (
    <Flex gap={12} align="center">
      <Spin />
      <Typography.Text type="secondary" data-testid="export-progress-text">
        {format === 'xlsx' && total !== null
          ? t('exports.xlsxProgress', { total, size })
          : t('exports.received', { size })}
      </Typography.Text>
    </Flex>
  );
}

interface Job {
  format: ExportFormat;
  progress: ExportProgress;
  controller: AbortController;
}

/**
 * Exports the list as shown (its filters, sort and the caller's scope, every page) as
 * CSV or Excel. The file streams in with rows received out of the total, then is saved.
 */
export function ExportButton({ path, query, testId, size = 'middle' }: ExportButtonProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useNotify();
  const [job, setJob] = useState<Job | null>(null);
  const [showProgress, setShowProgress] = useState(false);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // Leaving the page cancels a running export.
  const controller = job?.controller;
  useEffect(() => () => controller?.abort(), [controller]);

  const start = async (format: ExportFormat) => {
    const controller = new AbortController();
    const initial: ExportProgress = { rows: null, bytes: 0, total: null, totalIsEstimate: false };
    setJob({ format, progress: initial, controller });
    const timer = setTimeout(() => {
      setShowProgress(true);
    }, SHOW_PROGRESS_AFTER_MS);
    try {
      const file = await downloadExport(path, { ...query, lang: currentLanguage() }, format, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (mounted.current) setJob((j) => (j ? { ...j, progress } : j));
        },
      });
      if (!mounted.current) return;
      saveFile(file.blob, file.filename);
      notify.success(
        file.rows === null ? t('exports.doneFile') : t('exports.done', { count: file.rows }),
      );
    } catch (err) {
      if (!mounted.current) return;
      if (controller.signal.aborted) void message.info(t('exports.cancelled'));
      else if (err instanceof DownloadInterrupted) void message.error(t('exports.interrupted'), 6);
      else notify.error(err);
    } finally {
      clearTimeout(timer);
      if (mounted.current) {
        setJob(null);
        setShowProgress(false);
      }
    }
  };

  const items = (['csv', 'xlsx'] as const).map((format) => ({
    key: format,
    label: <span data-testid={`${testId}-${format}`}>{t(`exports.formats.${format}`)}</span>,
  }));

  return (
    <>
      <Dropdown
        disabled={job !== null}
        trigger={['click']}
        menu={{
          items,
          onClick: ({ key }) => {
            if (key === 'csv' || key === 'xlsx') void start(key);
          },
        }}
      >
        <Button size={size} icon={<DownloadOutlined />} loading={job !== null} data-testid={testId}>
          {t('exports.button')} <DownOutlined />
        </Button>
      </Dropdown>
      <Modal
        open={job !== null && showProgress}
        title={t('exports.title')}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        footer={
          <Button
            data-testid="export-cancel"
            onClick={() => {
              job?.controller.abort();
            }}
          >
            {t('common.cancel')}
          </Button>
        }
      >
        {job ? <ProgressView format={job.format} progress={job.progress} /> : null}
      </Modal>
    </>
  );
}
