import { z } from 'zod';

/** What the hub asks of its sample-camera process: one line of JSON on the child's stdin. */
export const sampleFarmRequestSchema = z.strictObject({
  cameras: z.number().int().min(1),
  rtspBasePort: z.number().int().min(1).max(65535),
  onvifPort: z.number().int().min(1).max(65535),
  h265Cameras: z.array(z.number().int().min(1)),
  /** The sample communes' names, for the counters' names. */
  communes: z.array(z.string()),
});
export type SampleFarmRequest = z.infer<typeof sampleFarmRequestSchema>;

/** What it answers once every camera serves: one line of JSON on its stdout (a pipe, never a log). */
export const sampleFarmReadySchema = z.strictObject({
  cameras: z.array(
    z.strictObject({
      name: z.string(),
      unitName: z.string(),
      counter: z.string(),
      onvifAddress: z.string(),
      username: z.string(),
      password: z.string(),
    }),
  ),
});
export type SampleFarmReady = z.infer<typeof sampleFarmReadySchema>;
export type SampleCamera = SampleFarmReady['cameras'][number];
