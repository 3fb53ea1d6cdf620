package eval

func buildDatetimeArith(k *call, op arithOp) (Expr, error) { return nil, unsupported(k) }
