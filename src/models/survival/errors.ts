import { UserError } from '../../util/errors.js';

/**
 * Survival data the models cannot use (negative or non-finite times, event flags other than 0/1, columns of
 * different lengths, missing covariates): the user's data, so a UserError the CLI reports with exit code 1.
 * Bad options (a confidence level outside (0, 1), ...) stay RangeErrors.
 */
export class SurvivalInputError extends UserError {}
