package export

// Qwen2.5-VL's vision geometry (its processor's defaults, as qwen-vl-utils sizes frames):
// 14-pixel patches merged 2x2 into one token, and 2 frames per temporal patch.
const (
	qwenPixelsPerToken  = 28 * 28
	qwenFramesPerPatch  = 2
	qwenChatTemplateTxt = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|><|vision_end|><|im_end|>\n<|im_start|>assistant\n"
)

// VideoTokens is the number of tokens Qwen2.5-VL gives frames frames of width x height
// pixels (multiples of 28, as qwen-vl-utils resizes them): one token per 28x28 pixels
// per 2 frames (an odd last frame is padded to a pair, as qwen-vl-utils does). Zero or
// negative sizes give 0.
func VideoTokens(frames, width, height int) int64 {
	if frames <= 0 || width <= 0 || height <= 0 {
		return 0
	}
	pairs := int64(frames+qwenFramesPerPatch-1) / qwenFramesPerPatch
	return pairs * (int64(width) * int64(height) / qwenPixelsPerToken)
}

// PromptTokens estimates from above the length in tokens of a video row's prompt as a
// Qwen2.5-VL trainer builds it: the frames' tokens (VideoTokens) plus the prompt text
// and the chat template around it (default system message, vision start and end
// markers, the assistant turn's opening) counted at one token per UTF-8 byte, which no
// byte-level BPE tokenizer exceeds. It is what verl's data.max_prompt_length must be at
// least for no row to be cut or dropped.
func PromptTokens(text string, frames, width, height int) int64 {
	return VideoTokens(frames, width, height) + int64(len(text)) + int64(len(qwenChatTemplateTxt))
}
