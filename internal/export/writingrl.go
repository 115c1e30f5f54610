package export

import "strconv"

// WritingRLRow is a row of Writing-RL's released verl fork (Tongyi-Zhiwen/Writing-RL),
// read as it is. The fork's reward (verl/utils/reward_score/writing_rl.py, compute_score)
// takes reward_model.ground_truth {prompt, target, criteria, id}: with target a list it
// reads running_file/index_$EXPERIMENT_NAME.json, a JSON object written by
// scripts/create_index_file.py whose keys are the decimal integers "0" to "N", and looks
// the current reference up as target[index[id]]. So ID is the row's integer index in
// decimal, a string (a JSON key; an integer would not be found), and Target is ordered
// weakest to strongest. Parquet schema:
//
//	data_source  string                                  "writing"
//	prompt       list<struct<role string, content string>>  system, then user
//	ability      string                                  "write"
//	reward_model struct<style string, ground_truth struct<
//	                 prompt string, target list<string>, criteria string (nullable), id string>>
//	extra_info   struct<index int64, split string, sample_id string>
type WritingRLRow struct {
	DataSource  string         `parquet:"data_source" json:"data_source"`
	Prompt      []Message      `parquet:"prompt,list" json:"prompt"`
	Ability     string         `parquet:"ability" json:"ability"`
	RewardModel WritingReward  `parquet:"reward_model" json:"reward_model"`
	ExtraInfo   WritingRLExtra `parquet:"extra_info" json:"extra_info"`
}

// WritingRLExtra is a Writing-RL row's extra_info: the integer index (the same as
// ground_truth.id), the split and rlcurate's sample id, to map the fork's index file
// back to the samples.
type WritingRLExtra struct {
	Index    int64  `parquet:"index" json:"index"`
	Split    string `parquet:"split" json:"split"`
	SampleID string `parquet:"sample_id" json:"sample_id"`
}

// FromWritingRL converts a writing select data row into a Writing-RL row with integer
// index idx: FromWriting's prompt and ground truth, with ground_truth.id the index in
// decimal and extra_info {index, split, sample_id}.
func FromWritingRL(row []byte, opts Options, idx int64) (WritingRLRow, error) {
	w, err := FromWriting(row, opts)
	if err != nil {
		return WritingRLRow{}, err
	}
	id := w.RewardModel.GroundTruth.ID
	truth := w.RewardModel
	truth.GroundTruth.ID = strconv.FormatInt(idx, 10)
	return WritingRLRow{
		DataSource: w.DataSource, Prompt: w.Prompt, Ability: w.Ability, RewardModel: truth,
		ExtraInfo: WritingRLExtra{Index: idx, Split: w.ExtraInfo.Split, SampleID: id},
	}, nil
}
