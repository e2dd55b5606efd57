/** The calibration window check lives in ../summary-window.ts (shared with the ClickHouse engine). */
export { calibrationWindow } from '../summary-window.js';
