print("kore-sim: not yet")
