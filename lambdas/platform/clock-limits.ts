/**
 * How far a purchase or a directory event may lie in the future and still count now (PRODUCT.md:
 * "not more than 5 minutes in the future"). A purchase further ahead waits on the queue until it
 * is within this (see `clockAheadDelaySeconds`): a producer whose clock runs fast loses nothing.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * A time further ahead than this is not a fast clock but a wrong date (a year typed wrong,
 * a time zone applied twice): it breaks the contract and is quarantined.
 */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
