package annotate

// Temporary until label.go lands (owned by core-model). Do not commit.

type LabelKind string

const (
	KindEntity LabelKind = "entity"
	KindClaim  LabelKind = "claim"
)
