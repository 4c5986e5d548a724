/**
 * What a token costs on hardware paid by the hour: the one formula the Cost page, the lessons and the class board
 * share, and the laptop's own hour (its electricity while generating), as the Cost page's in-browser option
 * prices it.
 */

const TOKENS_PER_MILLION = 1e6;
const SECONDS_PER_HOUR = 3600;

/** A laptop's draw while it generates, W: the Cost page's default for "Device power while generating". */
export const LAPTOP_POWER_W = 30;
/** A household electricity price, $ per kWh: the Cost page's default for "Users' electricity price". */
export const HOME_ELECTRICITY_USD_PER_KWH = 0.2;

/**
 * Cost of 1M tokens on hardware billed by the hour:
 * `$/1M = ($/h) / (tok/s × 3600 × utilisation) × 1e6`.
 * E.g. $2.00/h at 100 tok/s and full utilisation: 2 / 360 000 × 1e6 = $5.56.
 * Infinity when no token is ever served (speed or utilisation 0, or so small the product underflows), and
 * 0 only when the hour is free; validation keeps both out of a scenario.
 */
export function usdPer1MTokens(usdPerHour: number, tokPerS: number, utilisation: number): number {
  const tokensPerPaidHour = tokPerS * SECONDS_PER_HOUR * utilisation;
  if (!(usdPerHour > 0)) return 0;
  if (!(tokensPerPaidHour > 0)) return Number.POSITIVE_INFINITY;
  const usd = (usdPerHour / tokensPerPaidHour) * TOKENS_PER_MILLION;
  return Number.isNaN(usd) || usd < 0 ? 0 : usd;
}

/**
 * An hour of a device that costs only its electricity: `$/h = W / 1000 × $/kWh`.
 * E.g. a 30 W laptop at $0.20/kWh: 0.03 × 0.2 = $0.006 an hour.
 */
export function electricityUsdPerHour(
  powerW: number = LAPTOP_POWER_W,
  usdPerKwh: number = HOME_ELECTRICITY_USD_PER_KWH,
): number {
  return (Math.max(0, powerW) / 1000) * Math.max(0, usdPerKwh);
}
