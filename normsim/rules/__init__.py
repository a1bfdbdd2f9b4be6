"""What happens each week across the populations: the socialisation hypotheses H1-H6, what makes
a gain last (internalisation), the leadership's decision, the norms and the policies the command
decides, splinters and emulation among groups."""
