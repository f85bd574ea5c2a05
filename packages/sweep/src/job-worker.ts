// The task module of the worker threads (piscina imports it by URL): one job in, its outcome out.
import { runJob, type JobOutcome } from './job'
import type { JobInputs } from './spec'

export default (inputs: JobInputs): Promise<JobOutcome> => runJob(inputs)
