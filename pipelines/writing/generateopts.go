package writing

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rlcurate/rlcurate/internal/judge"
)

// GenerateModel is one model writing generate asks: the policy or a reference.
type GenerateModel struct {
	Name    string
	BaseURL string       // the model's endpoint (--base-url unless NAME@URL names another)
	Prices  judge.Prices // from --price NAME=IN/OUT; zero when not given
}

// GenerateOptions configures the writing generate job.
type GenerateOptions struct {
	Input      string // prompts, local or gs://, glob allowed
	Format     string // FormatJSONL, FormatWritingBench or FormatLongWriter
	Output     string
	Policy     GenerateModel
	References []GenerateModel // in --reference-models order: the output's order
	// KeepDatasetAnswer adds a LongWriter row's assistant turn as a last reference, named
	// DatasetModel.
	KeepDatasetAnswer bool
	MaxTokens         int     // reply token cap (0 = server default)
	Temperature       float64 // sampling temperature
	Concurrency       int     // HTTP calls in flight per model and worker
	RPM               float64 // requests per minute per model and worker (0 = none)
	MaxAttempts       int     // attempts per completion, first included (0 = 4)
	Timeout           time.Duration
	StripThinking     bool    // keep only the text after the last </think>
	MaxCostUSD        float64 // spending budget (0 = none); see judge.Budget
	Cache             string  // completion cache: local folder or gs:// prefix
	Shards            int
	// RunID tells one run's budget from another's in the same process; Generate sets it.
	RunID string
}

// DatasetModel is the reference model name of a kept dataset answer.
const DatasetModel = "dataset"

// ParseModel reads a --policy-model or --reference-models entry, NAME or NAME@URL (the
// URL starting with http:// or https://, so a NAME may hold an @ of its own), with
// baseURL as the endpoint when the entry names none.
func ParseModel(spec, baseURL string) (GenerateModel, error) {
	spec = strings.TrimSpace(spec)
	m := GenerateModel{Name: spec, BaseURL: baseURL}
	for _, scheme := range []string{"@http://", "@https://"} {
		if i := strings.LastIndex(spec, scheme); i >= 0 {
			m.Name, m.BaseURL = spec[:i], spec[i+1:]
			break
		}
	}
	switch {
	case m.Name == "":
		return m, fmt.Errorf("model %q: no name", spec)
	case m.BaseURL == "":
		return m, fmt.Errorf("model %q: no endpoint (give --base-url or NAME@URL)", spec)
	}
	return m, nil
}

// ParsePrice reads a --price entry MODEL=IN/OUT, US dollars per million prompt and
// completion tokens.
func ParsePrice(spec string) (string, judge.Prices, error) {
	name, rest, ok := strings.Cut(spec, "=")
	in, out, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || strings.TrimSpace(name) == "" {
		return "", judge.Prices{}, fmt.Errorf("--price %q: want MODEL=IN/OUT (dollars per million tokens)", spec)
	}
	pi, err1 := strconv.ParseFloat(strings.TrimSpace(in), 64)
	po, err2 := strconv.ParseFloat(strings.TrimSpace(out), 64)
	if err1 != nil || err2 != nil || pi < 0 || po < 0 {
		return "", judge.Prices{}, fmt.Errorf("--price %q: IN and OUT must be non-negative numbers", spec)
	}
	return strings.TrimSpace(name), judge.Prices{InputPerMTok: pi, OutputPerMTok: po}, nil
}

// Models returns the policy, then the references in order.
func (o GenerateOptions) Models() []GenerateModel {
	return append([]GenerateModel{o.Policy}, o.References...)
}

// Validate checks the options: a known format, at least one reference, distinct model
// names, and under a budget a reply cap and a price for every model (else a call's cost
// would have no bound).
func (o GenerateOptions) Validate() error {
	if _, err := ParsePrompt(o.Format, []byte("{}")); err != nil && strings.HasPrefix(err.Error(), "unknown input format") {
		return err
	}
	if len(o.References) == 0 {
		return fmt.Errorf("give --reference-models: at least one")
	}
	if o.KeepDatasetAnswer && o.Format != FormatLongWriter {
		return fmt.Errorf("--keep-dataset-answer needs --input-format longwriter")
	}
	seen := map[string]bool{}
	for _, m := range o.Models() {
		if seen[m.Name] || (o.KeepDatasetAnswer && m.Name == DatasetModel) {
			return fmt.Errorf("model %q given twice: every model needs its own name", m.Name)
		}
		seen[m.Name] = true
		if o.MaxCostUSD > 0 && m.Prices == (judge.Prices{}) {
			return fmt.Errorf("--max-cost-usd needs --price %s=IN/OUT", m.Name)
		}
	}
	if o.MaxCostUSD > 0 && o.MaxTokens <= 0 {
		return fmt.Errorf("--max-cost-usd needs --max-tokens: a reply without a cap has no cost bound")
	}
	if o.MaxCostUSD < 0 || o.MaxTokens < 0 {
		return fmt.Errorf("--max-cost-usd and --max-tokens must not be negative")
	}
	return nil
}

// Describe returns the options for the manifest's config (no secret in it).
func (o GenerateOptions) Describe() map[string]any {
	return map[string]any{"input": o.Input, "input_format": o.Format, "policy_model": o.Policy,
		"reference_models": o.References, "keep_dataset_answer": o.KeepDatasetAnswer,
		"max_tokens": o.MaxTokens, "temperature": o.Temperature, "concurrency": o.Concurrency,
		"rpm": o.RPM, "max_attempts": o.MaxAttempts, "timeout": o.Timeout.String(),
		"strip_thinking": o.StripThinking, "max_cost_usd": o.MaxCostUSD, "cache": o.Cache, "shards": o.Shards}
}

// clientConfig is the judge client of model m under these options.
func (o GenerateOptions) clientConfig(m GenerateModel, key string) judge.ClientConfig {
	return judge.ClientConfig{
		BaseURL: m.BaseURL, Model: m.Name, APIKey: key, Structured: judge.StructuredOff,
		Sampling:    judge.Sampling{Temperature: float32(o.Temperature), MaxTokens: o.MaxTokens},
		Concurrency: o.Concurrency, RequestsPerMinute: o.RPM, MaxAttempts: o.MaxAttempts,
		Timeout: o.Timeout, Prices: m.Prices,
	}
}

// key identifies the options, for the per-process registries of clients and budgets.
func (o GenerateOptions) key() string {
	b, _ := json.Marshal(o)
	return string(b)
}

// newRunID returns a random id for GenerateOptions.RunID.
func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
