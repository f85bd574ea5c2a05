// @snipsnap/report: SnipSnap result plots (Observable Plot) and self-contained HTML reports.
// Platform-neutral: builders draw into any DOM document, createDocument() gives one anywhere.
export { createDocument } from './document'
export { scatterPlot, barPlot, linePlot, type PlotFrame, type AxisOptions, type ScatterPoint, type ScatterOptions, type BarRow, type BarOptions, type LinePoint, type LineOptions } from './plots'
export { plotToSvg, escapeXml } from './svg'
export { reportHtml, type ReportOptions, type ReportSection, type ReportTable } from './html'
export {
  energyUnit,
  formatEnergy,
  energyByLevelPlot,
  searchPointsPlot,
  convergencePlot,
  baselinesPlot,
  exploreReportHtml,
  EXPLORE_REPORT_PLOTS,
  EXPLORE_REPORT_MARKS,
  type LevelEnergyRow,
  type SearchPointRow,
  type ConvergenceRow,
  type BaselineRow,
  type ExploreReportLayer,
  type ExploreReportInput,
} from './explore'
