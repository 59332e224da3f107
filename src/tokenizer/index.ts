export type { Tokenizer, TokenizerJSON, TokenizerKind } from './types';
export { CharTokenizer } from './char';
export { BpeTokenizer, type BpeTrainOptions } from './bpe';
export type { Merge } from './bpe-merge';
export { Gpt2Tokenizer, GPT2_END_OF_TEXT, GPT2_END_OF_TEXT_ID } from './gpt2';
export { tokenizerFromJSON } from './from-json';
export { pretokenize } from './pretokenize';
export { InvalidTokenIdError, TokenizerJSONError, UnknownCharacterError } from './errors';
