/** The chart's input: plain data a server page can pass to a client component. */

/** One line: its name and one value per x. */
export interface ChartSeries {
  label: string;
  values: number[];
}
