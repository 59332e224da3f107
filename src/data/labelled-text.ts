/**
 * Labelled text: examples for classification, one JSONL record each,
 *
 *     {"text": "The kettle broke after a week.", "label": "negative"}
 *
 * Labels are strings, the names of the classes. The reader collects the set of labels, so a
 * classifier knows how many classes it needs and which index stands for which.
 */
import { JsonlError, type JsonlRecord, describeJsonValue, parseJsonl, readJsonl, recordFields, rejectUnknownFields, requireText } from './jsonl';

/** One classification example. */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
}

/** Examples and their classes. */
export interface LabelledDataset {
  readonly examples: readonly LabelledText[];
  /**
   * Every label that occurs, sorted (by code unit), so that class index `i` means
   * `labels[i]` whatever order the examples are in.
   */
  readonly labels: readonly string[];
}

/** One `{"text", "label"}` record; a `JsonlError` names the line and the field at fault. */
export function labelledTextFromRecord(record: JsonlRecord): LabelledText {
  const fields = recordFields(record, '{"text": "...", "label": "..."}');
  rejectUnknownFields(record, fields, ['text', 'label'], 'a labelled-text record');
  const text = requireText(record, fields.text, 'text', 'the text to classify');
  const { label } = fields;
  if (typeof label !== 'string') {
    const asString = typeof label === 'number' || typeof label === 'boolean' ? ` (write it as "${label}")` : '';
    throw new JsonlError(
      record.source,
      record.line,
      'label',
      `"label" must be a string, the name of the class, got ${describeJsonValue(label)}${asString}.`,
    );
  }
  if (label.trim() === '') {
    throw new JsonlError(
      record.source,
      record.line,
      'label',
      '"label" is empty; every example needs the name of its class, like "positive".',
    );
  }
  return { text, label };
}

/** Parses JSONL text of `{"text", "label"}` records and collects the labels. */
export function parseLabelledDataset(text: string, source: string): LabelledDataset {
  return collectLabels(parseJsonl(text, source).map(labelledTextFromRecord));
}

/** Reads a JSONL file of `{"text", "label"}` records and collects the labels. */
export function readLabelledDataset(filePath: string): LabelledDataset {
  return collectLabels(readJsonl(filePath).map(labelledTextFromRecord));
}

function collectLabels(examples: readonly LabelledText[]): LabelledDataset {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  return { examples, labels };
}
