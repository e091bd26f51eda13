/**
 * Printed next to every figure derived from the simulator: it is the output of a model calibrated to the
 * seed's phase tables, not a measurement of real tools.
 */
export const PREDICTION_LABEL =
  'predicted by the simulated toolchain (model calibrated to the seed), not measured';
