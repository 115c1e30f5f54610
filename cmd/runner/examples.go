package main

import (
	"fmt"
	"io"
)

// examples are two or three command lines per command, shown at the end of its help.
var examples = map[string][]string{
	"video build": {
		"runner video build --annotations museg.jsonl --format museg --videos videos/ --output out/build",
		"runner video build --annotations charades_sta_train.txt --format charades --videos Charades_v1/ --output gs://bucket/build --color-matrix bt601 --output-format both",
		"runner video build ... --runner dataflow --project P --region us-central1 --temp_location gs://bucket/tmp --worker_binary bin/worker",
	},
	"video score": {
		"runner video score --input rollouts.jsonl --output out/score --phase 1 --mode compat",
		"runner video score --input 'gs://bucket/rollouts/*.jsonl' --output gs://bucket/score --phase 2 --mode strict",
	},
	"writing generate": {
		"runner writing generate --input writingbench.jsonl --input-format writingbench --output out/gen --base-url http://localhost:8000/v1 --policy-model qwen --reference-models gpt-4o,claude@https://proxy/v1 --cache out/cache",
		"runner writing generate ... --max-cost-usd 20 --price gpt-4o=2.5/10",
	},
	"writing select": {
		"runner writing select --input examples/writing_samples.jsonl --output out/select --top-k 100",
		"runner writing select --input samples.jsonl --output out/select --judge-base-url https://api.openai.com/v1 --judge-model gpt-4o --judge-cache out/judge-cache --top-k 1000",
		"runner writing select --input samples.jsonl --output out/select --limit 20   # a quick try on 20 rows",
	},
	"writing label": {
		"runner writing label --input rollouts.jsonl --samples out/select/data --schedule out/schedule.json --output out/label",
		"runner writing label ... --schedule postgres://user@db/rlcurate --judge-base-url https://api.openai.com/v1 --judge-model gpt-4o",
	},
	"writing advance": {
		"runner writing advance --schedule out/schedule.json --input out/label/data --output out/schedule.json",
		"runner writing advance --schedule postgres://user@db/rlcurate --input out/label/data --output postgres://user@db/rlcurate",
	},
	"rewards museg": {
		"runner rewards museg --phase 1 --mode compat < rollouts.jsonl > scores.jsonl",
	},
	"serve": {
		"runner serve --listen 127.0.0.1:8080 --auth-token-file token.txt",
		"runner serve --samples out/select/data --schedule postgres://user@db/rlcurate --judge-base-url https://api.openai.com/v1 --judge-model gpt-4o --auth-token-file token.txt",
	},
	"curriculum difficulty": {
		"runner curriculum difficulty --rollouts out/label/data --output out/difficulty",
		"runner curriculum difficulty --rollouts out/score/data --samples out/build/data --band 0.1:0.9 --output out/kept",
	},
	"curriculum mix": {
		"runner curriculum mix --source writing=out/select/data:0.7 --source video=out/build/data:0.3 --total 1000 --seed 1 --output out/mix",
	},
	"schedule show": {
		"runner schedule show --schedule out/schedule.json",
		"runner schedule show --schedule postgres://user@db/rlcurate --sample s-0001",
	},
	"schedule copy": {
		"runner schedule copy --from out/schedule.json --to postgres://user@db/rlcurate",
	},
}

// printExamples prints the examples of the command at path, if it has any.
func printExamples(w io.Writer, path string) {
	ex := examples[path]
	if len(ex) == 0 {
		return
	}
	fmt.Fprintln(w, "Examples:")
	for _, e := range ex {
		fmt.Fprintf(w, "  %s\n", e)
	}
}
