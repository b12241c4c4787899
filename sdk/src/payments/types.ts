// The payments values that carry no account address: prices, caps, readings.
export interface TariffInterval {
  /** First UTC minute of the day this price applies to. */
  startMinute: number;
  /** Raw USDE per kWh imported. */
  importPrice: bigint;
  /** Raw USDE per kWh exported. */
  exportPrice: bigint;
}

/** A utility's cap on export credit: at most `maxCredit` raw USDE per device per `periodSecs` of metered time. */
export interface ExportCap {
  /** Most USDE (raw) of export credit one device earns per period. */
  maxCredit: bigint;
  /** Period length, seconds (a multiple of the tariff's interval length, at most a year; aligned to the unix epoch). */
  periodSecs: number;
}

/** Caps of a new settlement mandate (raw USDE; period in seconds, at most a year). */
export interface MandateCaps {
  maxPerPeriod: bigint;
  periodSecs: number;
  maxTotal: bigint;
}

/** A meter reading as the device signs it. */
export interface MeterReading {
  /** The tariff revision the device priced the reading at (see `tariffRevisionFor`). */
  revision: number;
  /** Exactly one more than the last settled reading of the device. */
  seq: bigint;
  /** Unix seconds (UTC) of the interval start, aligned to the tariff's `intervalSecs`. */
  intervalStart: bigint;
  importWh: bigint;
  exportWh: bigint;
}

/** The span and prices of one tariff revision (as a `TariffRevision` account holds them). */
export interface RevisionPrices {
  revision: number;
  /** First unix time whose readings this revision prices. */
  effectiveFrom: bigint;
  /** Unix time the next revision took over (`REVISION_IN_FORCE` while none). */
  supersededAt: bigint;
  intervals: TariffInterval[];
  exportCap?: ExportCap;
}

/** A binding's export-cap state (as a `TariffBinding` account holds it). */
export interface ExportCapState {
  /** Export-cap period index (`intervalStart / periodSecs`) that `creditInPeriod` counts. */
  capPeriod: bigint;
  /** Export credit granted in `capPeriod`, raw USDE. */
  creditInPeriod: bigint;
}
