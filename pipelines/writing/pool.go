package writing

// pool runs a bundle's per-element work concurrently while the DoFn goroutine keeps
// ownership of the emitters: workers send results over a channel and only the DoFn
// goroutine (in ProcessElement or FinishBundle) emits them. At most limit elements are in
// flight; submitting one more first emits finished results, waiting if none is ready.
type pool[R any] struct {
	limit       int
	results     chan R
	outstanding int
}

func newPool[R any](limit int) *pool[R] {
	limit = max(1, limit)
	return &pool[R]{limit: limit, results: make(chan R, limit)}
}

// submit starts work on its own goroutine and emits whatever has finished meanwhile.
func (p *pool[R]) submit(work func() R, emit func(R)) {
	for p.outstanding >= p.limit {
		emit(<-p.results)
		p.outstanding--
	}
	p.outstanding++
	go func() { p.results <- work() }()
	for {
		select {
		case r := <-p.results:
			emit(r)
			p.outstanding--
		default:
			return
		}
	}
}

// drain waits for every outstanding element and emits its result.
func (p *pool[R]) drain(emit func(R)) {
	for ; p.outstanding > 0; p.outstanding-- {
		emit(<-p.results)
	}
}
