package annotations

import "path"

// DefaultCharadesExt is the file extension appended to a Charades-STA video id.
const DefaultCharadesExt = ".mp4"

// Options configure the parsers. The zero value is usable: Charades videos get
// DefaultCharadesExt, paths are kept as written, and seed 0 chooses questions.
type Options struct {
	// CharadesExt is appended to a Charades-STA video id to name its file
	// (".mp4" when empty). A value without a leading dot gets one.
	CharadesExt string
	// VideoDir, when not empty, is joined (path.Join) before every video path.
	VideoDir string
	// Seed chooses the question template of each generated question.
	Seed uint64
}

func (o Options) charadesExt() string {
	ext := o.CharadesExt
	if ext == "" {
		return DefaultCharadesExt
	}
	if ext[0] != '.' {
		ext = "." + ext
	}
	return ext
}

func (o Options) videoPath(p string) string {
	if o.VideoDir == "" {
		return p
	}
	return path.Join(o.VideoDir, p)
}
