export { SeededRandom } from './random';
export { median } from './stats';
