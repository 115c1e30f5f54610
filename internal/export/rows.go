package export

// Message is one chat message of a verl prompt: {role, content}.
type Message struct {
	Role    string `parquet:"role" json:"role"`
	Content string `parquet:"content" json:"content"`
}

// WritingRow is a verl row of the writing branch, as Writing-RL's verl fork reads it.
// Parquet schema:
//
//	data_source  string                                  "writing"
//	prompt       list<struct<role string, content string>>  system, then user
//	ability      string                                  "write"
//	reward_model struct<style string, ground_truth struct<
//	                 prompt string, target list<string>, criteria string (nullable), id string>>
//	extra_info   struct<index string, split string>      index is the sample id
//	label        string                                  OpenRLHF/TRL label (JSON, see Label)
type WritingRow struct {
	DataSource  string        `parquet:"data_source" json:"data_source"`
	Prompt      []Message     `parquet:"prompt,list" json:"prompt"`
	Ability     string        `parquet:"ability" json:"ability"`
	RewardModel WritingReward `parquet:"reward_model" json:"reward_model"`
	ExtraInfo   Extra         `parquet:"extra_info" json:"extra_info"`
	Label       string        `parquet:"label" json:"label"`
}

// WritingReward is a writing row's reward_model column.
type WritingReward struct {
	Style       string       `parquet:"style" json:"style"`
	GroundTruth WritingTruth `parquet:"ground_truth" json:"ground_truth"`
}

// WritingTruth is what the writing reward needs: the prompt, the references ordered
// weakest to strongest (Target), the criteria text (nil when the sample has none) and
// the sample id that keys the reference schedule.
type WritingTruth struct {
	Prompt   string   `parquet:"prompt" json:"prompt"`
	Target   []string `parquet:"target,list" json:"target"`
	Criteria *string  `parquet:"criteria,optional" json:"criteria"`
	ID       string   `parquet:"id" json:"id"`
}

// Extra is a row's extra_info column. Index is the sample id (a string, as Writing-RL
// writes it) and Split is "train" unless Options.Split says otherwise.
type Extra struct {
	Index string `parquet:"index" json:"index"`
	Split string `parquet:"split" json:"split"`
}

// VideoRow is a verl row of the video branch. Parquet schema:
//
//	data_source  string                                  "museg"
//	prompt       list<struct<role string, content string>>  one user message starting with <video>
//	ability      string                                  "video_grounding"
//	videos       list<struct<video list<string>, fps double, sample_fps double,
//	                 resized_height int64, resized_width int64>>  one entry (qwen-vl-utils dict)
//	reward_model struct<style string, ground_truth struct<
//	                 solution list<list<double>>, phase int64, task string, duration double (nullable)>>
//	extra_info   struct<index string, split string, video string, question string>
//	label        string                                  OpenRLHF/TRL label (JSON, see Label)
type VideoRow struct {
	DataSource  string       `parquet:"data_source" json:"data_source"`
	Prompt      []Message    `parquet:"prompt,list" json:"prompt"`
	Ability     string       `parquet:"ability" json:"ability"`
	Videos      []VideoEntry `parquet:"videos,list" json:"videos"`
	RewardModel VideoReward  `parquet:"reward_model" json:"reward_model"`
	ExtraInfo   VideoExtra   `parquet:"extra_info" json:"extra_info"`
	Label       string       `parquet:"label" json:"label"`
}

// VideoEntry is a qwen-vl-utils video dict over pre-sampled frames. FPS and SampleFPS
// hold the same value, the sample rate of the frames (frames per second of video):
// qwen-vl-utils 0.0.10 reads "fps", 0.0.14 reads "sample_fps". ResizedHeight and
// ResizedWidth are the frames' size (multiples of 28), so that qwen-vl-utils keeps it.
type VideoEntry struct {
	Video         []string `parquet:"video,list" json:"video"`
	FPS           float64  `parquet:"fps" json:"fps"`
	SampleFPS     float64  `parquet:"sample_fps" json:"sample_fps"`
	ResizedHeight int64    `parquet:"resized_height" json:"resized_height"`
	ResizedWidth  int64    `parquet:"resized_width" json:"resized_width"`
}

// VideoReward is a video row's reward_model column.
type VideoReward struct {
	Style       string     `parquet:"style" json:"style"`
	GroundTruth VideoTruth `parquet:"ground_truth" json:"ground_truth"`
}

// VideoTruth is what the MUSEG reward needs: the ground-truth segments ([start, end] in
// seconds) and the training phase, with the task and the video duration (nil when
// unknown) for reference.
type VideoTruth struct {
	Solution [][]float64 `parquet:"solution,list" json:"solution"`
	Phase    int64       `parquet:"phase" json:"phase"`
	Task     string      `parquet:"task" json:"task"`
	Duration *float64    `parquet:"duration,optional" json:"duration"`
}

// VideoExtra is a video row's extra_info column.
type VideoExtra struct {
	Index    string `parquet:"index" json:"index"`
	Split    string `parquet:"split" json:"split"`
	Video    string `parquet:"video" json:"video"`
	Question string `parquet:"question" json:"question"`
}
