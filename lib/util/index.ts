/**
 * lib/util — the smallest shared pieces, below every other layer: precise option errors
 * (`OptionError`, `LimitExceededError`) and the option checks every builder uses, so a typo
 * anywhere in the workbook reads the same way: which option, what was given, what is allowed.
 */
export * from './option-error';
