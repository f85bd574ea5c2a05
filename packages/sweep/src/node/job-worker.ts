// The task module of the worker threads (piscina imports it by URL): one job in, its outcome out.
import type { JobOutcome } from '../records'
import type { JobInputs } from '../spec'
import { runJob } from './job'

export default (inputs: JobInputs): Promise<JobOutcome> => runJob(inputs)
