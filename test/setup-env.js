// Tests call statedNumber at full size; a learner's record of their own numbers
// (runs/your-numbers.jsonl) is no place for them. A test that wants it sets the variable itself.
if (process.env.LLM_LAB_YOUR_NUMBERS === undefined) process.env.LLM_LAB_YOUR_NUMBERS = '';
