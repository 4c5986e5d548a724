/**
 * A small bundled table of common GPUs, so a user can price self-hosting without looking anything up.
 * Specs come from NVIDIA's datasheets; $/h are on-demand list prices for one GPU, from the cheapest
 * GPU cloud to a hyperscaler, as read on the date given. Prices drift: the page says so and lets the
 * user type their own quote.
 */

export interface GpuRow {
  id: string;
  name: string;
  memoryGb: number;
  /** Memory bandwidth: what bounds single-stream decode speed. */
  bandwidthGbPerS: number;
  /**
   * Dense BF16 tensor throughput (FP16 on the T4, which has no BF16), TFLOPS, without sparsity: what bounds
   * prefill, which is compute-bound. From the same datasheets.
   */
  bf16DenseTflops: number;
  /** Board power (TDP / TGP). */
  tdpW: number;
  /** On-demand $ per GPU-hour, low and high end of the market. */
  usdPerHourLow: number;
  usdPerHourHigh: number;
  specSource: string;
  priceSource: string;
  /** When the prices were read (YYYY-MM). */
  pricesAsOf: string;
}

const DATASHEETS = 'https://www.nvidia.com/en-us/data-center/';

export const GPUS: readonly GpuRow[] = [
  {
    id: 'h200',
    name: 'H200 SXM 141 GB',
    memoryGb: 141,
    bandwidthGbPerS: 4800,
    bf16DenseTflops: 989,
    tdpW: 700,
    usdPerHourLow: 3.5,
    usdPerHourHigh: 10,
    specSource: `${DATASHEETS}h200/`,
    priceSource: 'GPU clouds (Lambda, RunPod) to AWS p5en on-demand, per GPU',
    pricesAsOf: '2025-06',
  },
  {
    id: 'h100-sxm',
    name: 'H100 SXM 80 GB',
    memoryGb: 80,
    bandwidthGbPerS: 3350,
    bf16DenseTflops: 989,
    tdpW: 700,
    usdPerHourLow: 2.2,
    usdPerHourHigh: 6.9,
    specSource: `${DATASHEETS}h100/`,
    priceSource: 'GPU clouds (Lambda, RunPod) to AWS p5 on-demand, per GPU',
    pricesAsOf: '2025-06',
  },
  {
    id: 'a100-80',
    name: 'A100 SXM 80 GB',
    memoryGb: 80,
    bandwidthGbPerS: 2039,
    bf16DenseTflops: 312,
    tdpW: 400,
    usdPerHourLow: 1.2,
    usdPerHourHigh: 5.1,
    specSource: `${DATASHEETS}a100/`,
    priceSource: 'GPU clouds (Lambda, RunPod) to AWS p4de on-demand, per GPU',
    pricesAsOf: '2025-06',
  },
  {
    id: 'l40s',
    name: 'L40S 48 GB',
    memoryGb: 48,
    bandwidthGbPerS: 864,
    bf16DenseTflops: 362,
    tdpW: 350,
    usdPerHourLow: 0.8,
    usdPerHourHigh: 1.9,
    specSource: `${DATASHEETS}l40s/`,
    priceSource: 'GPU clouds (RunPod) to AWS g6e on-demand, per GPU',
    pricesAsOf: '2025-06',
  },
  {
    id: 'a10g',
    name: 'A10G 24 GB',
    memoryGb: 24,
    bandwidthGbPerS: 600,
    // The A10 datasheet figure: AWS publishes none for its A10G variant.
    bf16DenseTflops: 125,
    tdpW: 150,
    usdPerHourLow: 0.75,
    usdPerHourHigh: 1.21,
    specSource: 'https://aws.amazon.com/ec2/instance-types/g5/',
    priceSource: 'AWS g5.xlarge to g5.2xlarge on-demand',
    pricesAsOf: '2025-06',
  },
  {
    id: 'l4',
    name: 'L4 24 GB',
    memoryGb: 24,
    bandwidthGbPerS: 300,
    bf16DenseTflops: 121,
    tdpW: 72,
    usdPerHourLow: 0.45,
    usdPerHourHigh: 0.85,
    specSource: `${DATASHEETS}l4/`,
    priceSource: 'GPU clouds to Google Cloud g2-standard-4 on-demand',
    pricesAsOf: '2025-06',
  },
  {
    id: 't4',
    name: 'T4 16 GB',
    memoryGb: 16,
    bandwidthGbPerS: 320,
    bf16DenseTflops: 65,
    tdpW: 70,
    usdPerHourLow: 0.3,
    usdPerHourHigh: 0.53,
    specSource: `${DATASHEETS}tesla-t4/`,
    priceSource: 'Google Cloud T4 + VM to AWS g4dn.xlarge on-demand',
    pricesAsOf: '2025-06',
  },
  {
    id: 'rtx4090',
    name: 'RTX 4090 24 GB',
    memoryGb: 24,
    bandwidthGbPerS: 1008,
    bf16DenseTflops: 165,
    tdpW: 450,
    usdPerHourLow: 0.3,
    usdPerHourHigh: 0.7,
    specSource: 'https://www.nvidia.com/en-us/geforce/graphics-cards/40-series/rtx-4090/',
    priceSource: 'Community GPU clouds (vast.ai, RunPod), per GPU',
    pricesAsOf: '2025-06',
  },
];

export const DEFAULT_GPU_ID = 'h100-sxm';

export const findGpu = (id: string): GpuRow | undefined => GPUS.find((g) => g.id === id);

/** The $/h the page starts from when a GPU is picked: the middle of its on-demand range, to the cent. */
export const typicalUsdPerHour = (g: GpuRow): number =>
  Math.round(((g.usdPerHourLow + g.usdPerHourHigh) / 2) * 100) / 100;
