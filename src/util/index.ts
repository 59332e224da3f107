export { SeededRandom } from './random';
export { firstReaching, median, seedMargin } from './stats';
export type { CurvePoint, SeedMargin } from './stats';
