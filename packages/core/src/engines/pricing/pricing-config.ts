export interface PricingConfig {
  /** Alert when an offer is more than this % above the market median. */
  readonly aboveMedianPercent: number;
  /** A median needs this many active offers before "above the median" means anything. */
  readonly minOffersForMedianAlert: number;
  /** Alert when a vendor's price moves more than this % within 24 hours. */
  readonly dailyMovePercent: number;
  /** Days of daily closes the trend line is fitted over. */
  readonly trendDays: number;
  /** The trend is flat unless the fitted line moves more than this % over 30 days. */
  readonly flatThresholdPercent: number;
}

/*
 * Judgement calls: 15 % above the median is beyond normal wholesale spread in Nepal's
 * FMCG market; a 10 % move inside a day is unusual enough to check (typo or gouging);
 * three offers are needed for a median to be a market; ±2 % a month is noise.
 */
export const DEFAULT_PRICING_CONFIG: PricingConfig = {
  aboveMedianPercent: 15,
  minOffersForMedianAlert: 3,
  dailyMovePercent: 10,
  trendDays: 30,
  flatThresholdPercent: 2,
};
