namespace NowOnline.Core.Presence;

public enum SessionType
{
    Customer,
    Visitor,
}
