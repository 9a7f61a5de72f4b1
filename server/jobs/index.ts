export { createJobQueue, type JobQueue, type JobQueueOptions, type RunSummary, type StartWorkersOptions } from './job-queue.js';
export {
  JOB_STATUSES,
  PermanentJobError,
  RetryJobError,
  type EnqueueInput,
  type EnqueueResult,
  type HandlerOptions,
  type Job,
  type JobHandler,
  type JobHelpers,
  type JobStatus,
  type ListJobsQuery,
} from './job.types.js';
export { computeBackoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { enqueueScheduled, scheduleDedupKey, slotOf, startScheduler, validateSchedule, type ScheduleDefinition, type SchedulerOptions } from './schedule.js';
