"""What users write: the scenario schema (collected from the settings each rule and engager
declares), scenario, population and data files read and validated with one message per mistake,
parameter ranges, the size budget, and the ODD's generated tables."""
