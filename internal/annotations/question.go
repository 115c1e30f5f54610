package annotations

import (
	"fmt"
	"strings"
)

// QueryPlaceholder marks where the query goes in a question template.
const QueryPlaceholder = "{query}"

// tvgTemplates ask for the start and end of one moment. The query sits in
// single quotes; no template ends with a period.
var tvgTemplates = [...]string{
	"Locate the moment described by '{query}' in the video and give its start and end timestamps in seconds",
	"When does '{query}' happen in the video? Answer with the start and end timestamps of that moment in seconds",
	"Give the start and end timestamps in seconds of the moment in the video that matches the description '{query}'",
	"Which part of the video shows '{query}'? Provide the start and end timestamps of that moment in seconds",
	"Find the moment in the video where the following happens: '{query}', and report its start and end timestamps in seconds",
	"Identify the video moment corresponding to the query '{query}' and state its start and end timestamps in seconds",
}

// talTemplates ask for the start and end of every instance of an action.
var talTemplates = [...]string{
	"Find every instance of the action '{query}' in the video and give the start and end timestamps in seconds of each",
	"Locate all occurrences of the action '{query}' in the video, with the start and end timestamps in seconds of every one",
	"At which times does the action '{query}' happen in the video? List the start and end timestamps in seconds of each instance",
	"Give the start and end timestamps in seconds of every instance of the action '{query}' in the video",
	"Identify each segment of the video in which the action '{query}' is performed and report the start and end timestamps in seconds of every instance",
	"List the start and end timestamps, in seconds, of all instances of the action '{query}' in the video",
}

// Templates returns a copy of the six question templates of task (each with
// one QueryPlaceholder), or an error for an unknown task.
func Templates(task Task) ([]string, error) {
	switch task {
	case TaskTVG:
		return append([]string(nil), tvgTemplates[:]...), nil
	case TaskTAL:
		return append([]string(nil), talTemplates[:]...), nil
	}
	return nil, fmt.Errorf("question templates: unknown task %q", task)
}

// TemplateIndex returns which of the task's six templates a sample with the
// given key uses: a hash of seed and key, so reruns with the same seed choose
// the same template and the choice is uniform over many keys.
func TemplateIndex(key string, seed uint64) int {
	return int(seededHash(seed, "question", key) % uint64(len(tvgTemplates)))
}

// Question builds the question text for task and query, choosing the template
// by TemplateIndex(key, seed). The query is cleaned (CleanQuery) first. An
// unknown task is an error; an empty query is allowed (the caller validates).
func Question(task Task, query, key string, seed uint64) (string, error) {
	tpls, err := Templates(task)
	if err != nil {
		return "", err
	}
	tpl := tpls[TemplateIndex(key, seed)]
	return strings.Replace(tpl, QueryPlaceholder, CleanQuery(query), 1), nil
}
