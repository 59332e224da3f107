/** Grading reports: JSON, JUnit XML, Markdown, and a class's CSV. */
export { writeReports, REPORT_FILES } from './write';
export { writeJUnitReport } from './junit';
export { markdownReport, markdownClassSummary } from './markdown';
export { scoresCsv } from './csv';
